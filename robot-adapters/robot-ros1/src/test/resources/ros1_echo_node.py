#!/usr/bin/python3
"""rospy node for farl's ROS 1 interop tests.

Subscribes to /farl/cmd (geometry_msgs/TwistStamped) and republishes each message's linear.x as
sensor_msgs/JointState position[0] on /farl/joint_states, so Java -> rospy -> Java round trips can be checked.
It also publishes a latched std_msgs/Bool on /farl/py_ready.
"""
import sys

import rospy
from geometry_msgs.msg import TwistStamped
from sensor_msgs.msg import JointState
from std_msgs.msg import Bool


def main():
    rospy.init_node("farl_py_echo", anonymous=False, disable_signals=False)
    out = rospy.Publisher("/farl/joint_states", JointState, queue_size=100, tcp_nodelay=True)
    ready = rospy.Publisher("/farl/py_ready", Bool, queue_size=1, latch=True)

    def on_cmd(msg):
        js = JointState()
        js.header.stamp = msg.header.stamp
        js.header.seq = msg.header.seq
        js.header.frame_id = msg.header.frame_id
        js.name = ["j1"]
        js.position = [msg.twist.linear.x]
        js.velocity = [msg.twist.linear.y]
        js.effort = []
        out.publish(js)

    rospy.Subscriber("/farl/cmd", TwistStamped, on_cmd, queue_size=100, tcp_nodelay=True)
    ready.publish(Bool(data=True))
    print("farl_py_echo ready", flush=True)
    rospy.spin()
    return 0


if __name__ == "__main__":
    sys.exit(main())

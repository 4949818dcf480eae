#!/usr/bin/python3
"""Prints genpy's serialisation of fixed sample messages, one 'type hex' line each, for byte-exact codec checks."""
from io import BytesIO

import rospy
from geometry_msgs.msg import Point, Pose, PoseStamped, Quaternion, Twist, TwistStamped, Vector3
from sensor_msgs.msg import JointState
from std_msgs.msg import Bool, Float64, Float64MultiArray, Header, MultiArrayDimension, String


def header():
    return Header(seq=7, stamp=rospy.Time(1700000000, 123456789), frame_id="panda_link0")


def pose():
    return Pose(Point(0.1, -0.2, 0.3), Quaternion(0.0, 0.0, 0.7071, 0.7071))


def twist():
    return Twist(Vector3(0.5, -0.25, 0.0), Vector3(0.0, 0.0, 1.5))


def samples():
    arr = Float64MultiArray()
    arr.layout.dim = [MultiArrayDimension(label="x", size=3, stride=3)]
    arr.layout.data_offset = 0
    arr.data = [1.0, 2.5, -3.0]
    js = JointState(header=header(), name=["j1", "j2"], position=[0.5, -0.5], velocity=[1.0, 2.0], effort=[])
    return [header(), Bool(data=True), String(data="keep_failure: pushed too far"), Float64(data=-0.75), arr, js, pose(), PoseStamped(header(), pose()), twist(),
            TwistStamped(header(), twist())]


for msg in samples():
    buf = BytesIO()
    msg.serialize(buf)
    print(msg._type, buf.getvalue().hex())
